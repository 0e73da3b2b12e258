import { useId, useState, type DragEvent } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import DeleteOutline from '@mui/icons-material/DeleteOutline';
import FolderOpenOutlined from '@mui/icons-material/FolderOpenOutlined';
import { call, errorMessage, transport } from '../../api/client';
import { importStrings } from './strings';

const s = importStrings.files;

const fileName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** The local paths of files dropped from a file manager (it gives them as file:// addresses). */
export function droppedPaths(uriList: string): string[] {
  return uriList
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.startsWith('file://'))
    .map((uri) => {
      const path = decodeURIComponent(new URL(uri).pathname);
      // file:///C:/Users/… on Windows
      return /^\/[A-Za-z]:\//.test(path) ? path.slice(1).replace(/\//g, '\\') : path;
    });
}

/**
 * The files of one import: the native « Ouvrir » dialog in the desktop app, a path typed in (every host), or files
 * dropped from a file manager when it says where they are.
 */
export function FilesSection({ files, onChange, disabled }: { files: string[]; onChange: (files: string[]) => void; disabled: boolean }) {
  const titleId = useId();
  const [path, setPath] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const desktop = transport() === 'electron';

  const add = (paths: string[]) => {
    const fresh = paths.map((p) => p.trim()).filter((p) => p !== '');
    if (fresh.some((p) => files.includes(p))) setProblem(s.already);
    else setProblem(null);
    onChange([...files, ...fresh.filter((p) => !files.includes(p))]);
  };

  const choose = async () => {
    setProblem(null);
    try {
      const chosen = await call('system.chooseOpenFiles', { filters: [{ name: s.dialogFilter, extensions: ['xml', 'zip', 'csv', 'txt'] }], multiple: true });
      add(chosen.paths);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (disabled) return;
    const paths = droppedPaths(event.dataTransfer.getData('text/uri-list'));
    if (paths.length === 0) setProblem(s.dropNoPath);
    else add(paths);
  };

  return (
    <Box component="section" aria-labelledby={titleId} sx={{ mb: 3 }}>
      <Typography variant="h2" id={titleId} sx={{ mb: 1 }}>
        {s.title}
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2, maxWidth: '80ch' }}>
        {s.help}
      </Typography>
      <Box
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
        data-testid="import-drop"
        sx={{ border: '2px dashed', borderColor: over ? 'primary.main' : 'divider', borderRadius: 1, p: 2, maxWidth: 900 }}
      >
        <Box
          component="form"
          onSubmit={(e) => {
            e.preventDefault();
            if (path.trim() !== '') {
              add([path]);
              setPath('');
            }
          }}
          sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', flexWrap: 'wrap' }}
        >
          {desktop && (
            <Button variant="outlined" startIcon={<FolderOpenOutlined />} onClick={() => void choose()} disabled={disabled} sx={{ mt: 1 }}>
              {s.choose}
            </Button>
          )}
          <TextField
            label={s.path}
            helperText={s.pathHelp}
            value={path}
            onChange={(e) => setPath(e.target.value)}
            disabled={disabled}
            sx={{ flexGrow: 1, minWidth: 320 }}
            slotProps={{ htmlInput: { spellCheck: false, 'data-testid': 'import-path' } }}
          />
          <Button type="submit" variant="outlined" disabled={disabled || path.trim() === ''} sx={{ mt: 1 }}>
            {s.add}
          </Button>
        </Box>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          {s.drop}
        </Typography>
      </Box>
      {problem && (
        <Alert severity="warning" sx={{ mt: 1, maxWidth: 900 }} onClose={() => setProblem(null)}>
          {problem}
        </Alert>
      )}
      {files.length === 0 ? (
        <Typography sx={{ mt: 1 }}>{s.none}</Typography>
      ) : (
        <List aria-label={s.list} dense sx={{ maxWidth: 900 }} data-testid="import-files">
          {files.map((file) => (
            <ListItem
              key={file}
              secondaryAction={
                <IconButton edge="end" aria-label={s.remove(fileName(file))} onClick={() => onChange(files.filter((f) => f !== file))} disabled={disabled}>
                  <DeleteOutline />
                </IconButton>
              }
            >
              <ListItemText primary={fileName(file)} secondary={file} />
            </ListItem>
          ))}
        </List>
      )}
    </Box>
  );
}
