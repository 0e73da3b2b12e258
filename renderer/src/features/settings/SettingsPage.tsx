import Alert from '@mui/material/Alert';
import CircularProgress from '@mui/material/CircularProgress';
import { useApiQuery } from '../../api/client';
import { Page } from '../../components/Page';
import { useOperator } from '../auth/SessionContext';
import { useEstablishment } from '../establishments/EstablishmentContext';
import { LetterTemplateSection } from '../letters/LetterTemplateSection';
import { DelegationsSection } from './DelegationsSection';
import { EstablishmentSettingsForm, LocalSettingsForm, UpdateSettingsForm } from './SettingsForms';
import { RolloverSection } from './RolloverSection';
import { settingsStrings as s } from './strings';

/** Paramètres: everyone reads; only the head of establishment changes (the core refuses the others anyway). */
export function SettingsPage() {
  const { uai, establishment } = useEstablishment();
  const operator = useOperator();
  const canEdit = operator?.role === 'chef';
  const view = useApiQuery('settings.get', { uai: uai ?? '0000000A' }, [uai]);

  return (
    <Page title={s.title} intro={s.intro}>
      {!uai ? (
        <Alert severity="info">{s.noEstablishment}</Alert>
      ) : view.error ? (
        <Alert severity="error">{view.error.message}</Alert>
      ) : !view.data ? (
        <CircularProgress aria-label={s.title} />
      ) : (
        <>
          {!canEdit && (
            <Alert severity="info" sx={{ mb: 3 }}>
              {s.readOnly}
            </Alert>
          )}
          {/* Remounted when the establishment's settings first arrive, not at each new version: a save bumps the version,
              and remounting then would wipe the form's confirmation message. */}
          <EstablishmentSettingsForm
            key={`${uai}-${view.data.establishment ? 'synced' : 'empty'}`}
            view={view.data}
            canEdit={canEdit}
            onSaved={view.reload}
          />
          <LetterTemplateSection
            key={`letters-${uai}`}
            view={view.data}
            canEdit={canEdit}
            establishmentName={establishment?.name ?? uai}
            city={establishment?.city ?? null}
          />
          <LocalSettingsForm key={`local-${uai}`} view={view.data} canEdit={canEdit} onSaved={view.reload} />
          <UpdateSettingsForm key={`updates-${uai}`} view={view.data} canEdit={canEdit} onSaved={view.reload} />
          {canEdit && <DelegationsSection uai={uai} />}
          {canEdit && <RolloverSection uai={uai} />}
        </>
      )}
    </Page>
  );
}
