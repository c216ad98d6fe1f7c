// Wire schemas of moderation (bans of members, listings and reviews).
import { Type } from 'typebox';

export const BanBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
