// Work that runs beside the HTTP server: demo seed, scheduler, workers. Each issue adds its part here.
import type { Deps } from './deps.ts';
import type { App } from './app.ts';

export interface Background {
  stop(): Promise<void>;
}

export async function startBackground(deps: Deps, _app: App): Promise<Background> {
  const stops: (() => Promise<void>)[] = [];
  return {
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}
