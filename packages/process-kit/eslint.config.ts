import { baseConfig } from '@ffk/eslint-config';

export default baseConfig;
