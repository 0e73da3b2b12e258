import { type FormEvent, useId, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import LoginOutlined from '@mui/icons-material/LoginOutlined';
import type { DemoOperatorSpec } from '../../../../shared/directory/demo-operators';
import { errorMessage } from '../../api/client';
import { Page } from '../../components/Page';
import { DemoOperatorsTable } from './DemoOperatorsTable';
import { useSession } from './SessionContext';
import { authStrings as s } from './strings';

interface FieldErrors {
  login?: string;
  password?: string;
}

function validate(login: string, password: string): FieldErrors {
  return {
    login: login.trim() === '' ? s.loginRequired : undefined,
    password: password === '' ? s.passwordRequired : undefined,
  };
}

/** Shown in place of every page but the application state until an operator signs in to the directory. */
export function SignInPage() {
  const { status, signIn } = useSession();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [apiError, setApiError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  const [filledWith, setFilledWith] = useState<string>();
  const loginRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);
  const formTitleId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (submitting) return;
    const errors = validate(login, password);
    setFieldErrors(errors);
    if (errors.login || errors.password) {
      (errors.login ? loginRef : passwordRef).current?.focus();
      return;
    }
    setApiError(undefined);
    setSubmitting(true);
    try {
      await signIn(login.trim(), password);
    } catch (error) {
      setApiError(errorMessage(error));
      setSubmitting(false);
    }
  };

  const fillWith = (operator: DemoOperatorSpec) => {
    setLogin(operator.login);
    setPassword(operator.password);
    setFieldErrors({});
    setApiError(undefined);
    setFilledWith(operator.login);
    // Next step is to sign in: Enter now submits.
    submitRef.current?.focus();
  };

  return (
    <Page title={s.title} intro={s.intro}>
      <Paper
        variant="outlined"
        component="section"
        aria-labelledby={formTitleId}
        sx={{ p: 3, maxWidth: 440, mb: 4 }}
      >
        <Typography variant="h2" id={formTitleId} sx={{ mb: 0.5 }}>
          {s.formTitle}
        </Typography>
        {status && (
          <Typography color="text.secondary" sx={{ mb: 2 }} data-testid="signin-directory">
            {s.directory(status.directory)}
          </Typography>
        )}
        {apiError && (
          <Alert severity="error" sx={{ mb: 2 }} data-testid="signin-error">
            <AlertTitle>{s.errorTitle}</AlertTitle>
            {apiError}
          </Alert>
        )}
        <Box
          component="form"
          noValidate
          onSubmit={(event: FormEvent) => void submit(event)}
          sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}
          data-testid="signin-form"
        >
          <TextField
            label={s.login}
            name="login"
            autoComplete="username"
            required
            value={login}
            onChange={(event) => setLogin(event.target.value)}
            error={!!fieldErrors.login}
            helperText={fieldErrors.login}
            inputRef={loginRef}
            autoFocus
          />
          <TextField
            label={s.password}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={!!fieldErrors.password}
            helperText={fieldErrors.password}
            inputRef={passwordRef}
          />
          <Button
            type="submit"
            variant="contained"
            startIcon={<LoginOutlined />}
            disabled={submitting}
            ref={submitRef}
            sx={{ alignSelf: 'flex-start' }}
          >
            {submitting ? s.submitting : s.submit}
          </Button>
          <Box component="p" role="status" aria-live="polite" sx={{ m: 0, color: 'text.secondary' }}>
            {filledWith ? s.demo.filled(filledWith) : ''}
          </Box>
        </Box>
      </Paper>
      {status?.directory === 'demo' && <DemoOperatorsTable onUse={fillWith} />}
    </Page>
  );
}
