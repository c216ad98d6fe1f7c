import { Type, type Static } from 'typebox';
import { Id } from '../../http/wire.ts';

export const Email = Type.String({ format: 'email', maxLength: 200 });
export const Password = Type.String({ minLength: 8, maxLength: 200 });
export const Nickname = Type.String({ minLength: 2, maxLength: 20, pattern: '^[0-9A-Za-z가-힣_\\-]+$' });

export const SignUpBody = Type.Object(
  { email: Email, password: Password, nickname: Nickname },
  { additionalProperties: false },
);
export const LoginBody = Type.Object({ email: Type.String({ maxLength: 200 }), password: Type.String({ maxLength: 200 }) });

export const ProfilePatch = Type.Object(
  {
    nickname: Type.Optional(Nickname),
    phone: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9+\\- ]{7,20}$' }), Type.Null()])),
    address: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    regionId: Type.Optional(Type.Union([Id, Type.Null()])),
    /** a mail copy of important notifications (sent once the address is verified) */
    mailNotifications: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ProfilePatch = Static<typeof ProfilePatch>;

const RegionRef = Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]);

export const PublicMember = Type.Object({
  id: Type.Integer(),
  nickname: Type.String(),
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
  region: RegionRef,
  createdAt: Type.String(),
  banned: Type.Boolean(),
});

export const MyMember = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  nickname: Type.String(),
  role: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
  region: RegionRef,
  createdAt: Type.String(),
  emailVerified: Type.Boolean(),
  mailNotifications: Type.Boolean(),
});

/** the token of a mailed link: 32 random bytes, base64url */
export const LinkToken = Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' });
export const PasswordResetRequest = Type.Object({ email: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export const PasswordResetBody = Type.Object({ token: LinkToken, password: Password }, { additionalProperties: false });
export const VerificationBody = Type.Object({ token: LinkToken }, { additionalProperties: false });
/** the same answer whether or not the address has an account */
export const MailQueued = Type.Object({ message: Type.String() });
