// Search, embedding worker and similar listings in embedded mode (PGlite in-process); the same cases
// run in server mode through search.pg-socket.test.ts.
import { createTestContext } from '../../../test/helpers.ts';
import { searchCases } from './search.cases.ts';

searchCases(() => createTestContext());
