/** Operator sign-in: opaque bearer tokens with a lifetime (wall clock), rotating refresh tokens. In memory only. */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Operator, TokenResponse } from '../../shared/directory/wire';
import { DirectoryHttpError } from './http';
import type { DemoOperator } from './store';

const REFRESH_TTL_MS = 12 * 3600 * 1000;

interface Session {
  login: string;
  expiresAt: number;
}

const newToken = () => randomBytes(24).toString('base64url');

function samePassword(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class TokenService {
  private readonly access = new Map<string, Session>();
  private readonly refresh = new Map<string, Session>();

  constructor(
    private readonly operators: () => DemoOperator[],
    /** Access token lifetime in seconds. */
    private readonly ttlSeconds: number,
  ) {}

  signIn(login: string, password: string): TokenResponse {
    const operator = this.operators().find((o) => o.login === login);
    if (!operator || !samePassword(operator.password, password)) {
      throw new DirectoryHttpError('INVALID_CREDENTIALS', 'Identifiant ou mot de passe incorrect.');
    }
    return this.issue(operator);
  }

  refreshTokens(refreshToken: string): TokenResponse {
    const session = this.refresh.get(refreshToken);
    this.refresh.delete(refreshToken); // refresh tokens are single-use
    const operator = session && session.expiresAt > Date.now() ? this.operators().find((o) => o.login === session.login) : undefined;
    if (!operator) throw new DirectoryHttpError('UNAUTHORIZED', 'Session expirée : reconnectez-vous.');
    return this.issue(operator);
  }

  /** The operator behind `Authorization: Bearer <token>`; 401 TOKEN_EXPIRED once its lifetime is over. */
  authenticate(authorization: string | undefined): Operator {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    const session = token ? this.access.get(token) : undefined;
    if (!session) throw new DirectoryHttpError('UNAUTHORIZED', 'Authentification requise.');
    if (session.expiresAt <= Date.now()) {
      throw new DirectoryHttpError('TOKEN_EXPIRED', 'Jeton expiré : renouvelez-le.', undefined, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    }
    const operator = this.operators().find((o) => o.login === session.login);
    if (!operator) throw new DirectoryHttpError('UNAUTHORIZED', 'Authentification requise.');
    return publicOperator(operator);
  }

  private issue(operator: DemoOperator): TokenResponse {
    const now = Date.now();
    const accessToken = newToken();
    const refreshToken = newToken();
    this.access.set(accessToken, { login: operator.login, expiresAt: now + this.ttlSeconds * 1000 });
    this.refresh.set(refreshToken, { login: operator.login, expiresAt: now + REFRESH_TTL_MS });
    return { accessToken, refreshToken, expiresIn: Math.max(1, Math.round(this.ttlSeconds)), operator: publicOperator(operator) };
  }
}

export const publicOperator = (o: DemoOperator): Operator => ({ login: o.login, displayName: o.displayName, role: o.role, uais: o.uais });
