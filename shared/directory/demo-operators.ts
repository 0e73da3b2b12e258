/**
 * The demo directory's operators, one per role plus one with every establishment. Their passwords are public on
 * purpose: the demo sign-in screen shows them. `uais: 'first'` = the first generated establishment only.
 */
import type { Role } from './wire';

export interface DemoOperatorSpec {
  login: string;
  password: string;
  role: Role;
  displayName: string;
  uais: 'first' | 'all';
}

export const DEMO_OPERATORS: readonly DemoOperatorSpec[] = [
  { login: 'chef.demo', password: 'demo-chef', role: 'chef', displayName: 'Claire Fontaine (cheffe d’établissement)', uais: 'first' },
  { login: 'delegue.demo', password: 'demo-delegue', role: 'delegue', displayName: 'Rémi Castéra (RUPN, délégué)', uais: 'first' },
  { login: 'secretariat.demo', password: 'demo-secretariat', role: 'secretariat', displayName: 'Hélène Pujol (secrétariat)', uais: 'first' },
  { login: 'multi.demo', password: 'demo-multi', role: 'chef', displayName: 'Jean-Noël Estève (plusieurs établissements)', uais: 'all' },
];
