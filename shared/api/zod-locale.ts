/** Validation messages reach the user, so zod speaks French everywhere the contract is loaded. */
import { z } from 'zod';

z.config(z.locales.fr());
