// Every scheduled job of the system (SPEC §9). A module adds its list here and nowhere else.
import type { JobDefinition } from './types.ts';

export const jobDefinitions: JobDefinition[] = [];
