// Worker entry: TypeScript through tsx, as in the main thread.
import { register } from 'tsx/esm/api';

register();
await import('./grad-worker.ts');
