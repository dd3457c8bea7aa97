import type { NodeCompiler } from './types';

/** An empty query or `*:*`. */
export const compileMatchAll: NodeCompiler<'matchAll'> = () => ({ match_all: {} });
