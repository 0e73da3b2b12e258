/** The auth.* methods: sign-in (online, or offline on this workstation), sign-out, status, lock and unlock. */
import type { Handlers } from '../dispatcher';
import type { DirectoryService } from '../directory/service';
import type { AuthService } from './session';

export type AuthMethod = 'auth.signIn' | 'auth.signOut' | 'auth.status' | 'auth.lock' | 'auth.unlock' | 'auth.keepAlive';

export function authHandlers(auth: AuthService, directory: DirectoryService, directoryName: string): Pick<Handlers, AuthMethod> {
  return {
    'auth.signIn': ({ login, password }) => auth.signIn(login, password),
    'auth.signOut': () => {
      auth.signOut();
      return { signedIn: false as const };
    },
    'auth.status': () => auth.status(directoryName, directory.scheduler.online),
    'auth.lock': () => {
      auth.lock();
      return { locked: true as const };
    },
    'auth.unlock': async ({ password }) => {
      await auth.unlock(password);
      return { locked: false as const };
    },
    // The activity itself is noted by the dispatcher, as for any other allowed non-public call.
    'auth.keepAlive': () => ({ ok: true as const }),
  };
}
