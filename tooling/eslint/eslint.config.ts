import { baseConfig } from './index.ts';

export default baseConfig;
