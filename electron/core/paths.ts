import { homedir } from 'node:os';
import { join } from 'node:path';

/** The OS data folder used when no --data is given (Electron uses app.getPath('userData') instead). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'EduConnect Desk');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'EduConnect Desk');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'educonnect-desk');
}
