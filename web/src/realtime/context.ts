import { createContext, useContext } from 'react';
import type { RealtimeConnection } from './connection.ts';

/** the logged-in member's live connection; null for guests */
export const RealtimeContext = createContext<RealtimeConnection | null>(null);

export const useRealtime = () => useContext(RealtimeContext);
