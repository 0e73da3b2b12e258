/** auth.*: signing in (online against the directory, or offline on this workstation), the session and its lock. */
import { z } from 'zod';
import { method, NoInput, type MethodSpec, byOperator } from '../spec';

const RoleSchema = z.enum(['chef', 'delegue', 'secretariat']);

export const SessionOperator = z.object({
  login: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  uais: z.array(z.string()),
});
export type SessionOperator = z.infer<typeof SessionOperator>;

export const AuthStatus = z.object({
  signedIn: z.boolean(),
  operator: SessionOperator.nullable(),
  /** The directory in use: `demo` or its base URL. */
  directory: z.string(),
  online: z.boolean().nullable(),
  /**
   * Signed in but locked (inactivity, the app restarted, or the directory session expired): only public methods answer
   * until unlocked.
   */
  locked: z.boolean().optional(),
  lockReason: z.enum(['inactivity', 'restart', 'expired']).nullable().optional(),
  /** `offline`: signed in against this workstation's verifier while the directory was unreachable. */
  mode: z.enum(['online', 'offline']).nullable().optional(),
  /** Minutes without activity before the window locks (workstation setting). */
  inactivityMinutes: z.number().int().positive().optional(),
});
export type AuthStatus = z.infer<typeof AuthStatus>;

export const authMethods = {
  'auth.signIn': method({
    permission: 'public',
    scope: byOperator,
    summary: 'Signs in to the directory (POST /v1/auth/token); tokens stay in memory. Starts the scheduled sync.',
    mutation: false,
    input: z.object({ login: z.string().trim().min(1, 'Identifiant obligatoire.'), password: z.string().min(1, 'Mot de passe obligatoire.') }).strict(),
    output: SessionOperator,
  }),
  'auth.signOut': method({
    permission: 'public',
    scope: byOperator,
    summary: 'Forgets the directory session and stops the scheduled sync; the local mirror stays.',
    mutation: false,
    input: NoInput,
    output: z.object({ signedIn: z.literal(false) }),
  }),
  'auth.status': method({
    permission: 'public',
    scope: byOperator,
    summary: 'Whether an operator is signed in, who, and whether the directory is reachable.',
    mutation: false,
    input: NoInput,
    output: AuthStatus,
  }),
  'auth.lock': method({
    permission: 'public',
    scope: byOperator,
    summary: 'Locks the session (inactivity): every method but the public ones is refused until auth.unlock.',
    mutation: false,
    input: NoInput,
    output: z.object({ locked: z.literal(true) }),
  }),
  'auth.keepAlive': method({
    permission: 'read',
    scope: byOperator,
    summary:
      "Tells the core the operator is at work in the window (keyboard, mouse) without calling it, so the core's own inactivity lock does not fire under them.",
    mutation: false,
    input: NoInput,
    output: z.object({ ok: z.literal(true) }),
  }),
  'auth.unlock': method({
    permission: 'public',
    scope: byOperator,
    summary: "Unlocks the session with the signed-in operator's password (checked locally; online again if it had expired).",
    mutation: false,
    input: z.object({ password: z.string().min(1, 'Mot de passe obligatoire.') }).strict(),
    output: z.object({ locked: z.literal(false) }),
  }),
} satisfies Record<string, MethodSpec>;

export const authEvents = {
  /** The session changed without the renderer asking (locked by the OS, ended by the directory): re-read auth.status. */
  'auth.changed': z.object({ reason: z.enum(['locked', 'signedOut']) }),
} satisfies Record<string, z.ZodType>;
