// Profile edit: avatar (uploaded at once), nickname (checked while typing), region, address, phone.
import { useState, type FormEvent } from 'react';
import { useRegions } from '../../api/catalog.ts';
import { useUpdateProfile, useUploadAvatar, type MyMember, type ProfilePatch } from '../../api/members.ts';
import { CameraIcon } from '../../components/Icons.tsx';
import { MAX_IMAGE_BYTES } from '../../components/ImageUploader.tsx';
import { TreeSelect } from '../../components/TreePicker.tsx';
import { Avatar, FormError } from '../../components/ui.tsx';
import { blockEnterWhileComposing } from '../../lib/ime.ts';
import { NicknameHint, useNicknameAvailability } from '../auth/SignUpPage.tsx';

export function ProfileForm({ me }: { me: MyMember }) {
  const { data: regions } = useRegions();
  const update = useUpdateProfile();
  const avatar = useUploadAvatar();
  const [nickname, setNickname] = useState(me.nickname);
  const [regionId, setRegionId] = useState<number | undefined>(me.region?.id);
  const [address, setAddress] = useState(me.address ?? '');
  const [phone, setPhone] = useState(me.phone ?? '');
  const [mailNotifications, setMailNotifications] = useState(me.mailNotifications);
  const [avatarProblem, setAvatarProblem] = useState('');
  const [saved, setSaved] = useState(false);
  const nicknameState = useNicknameAvailability(nickname, me.nickname);

  const pickAvatar = (file: File | undefined) => {
    if (!file) return;
    if (!['image/jpeg', 'image/png', 'image/webp'].includes(file.type)) return setAvatarProblem('JPEG, PNG, WebP 사진만 올릴 수 있어요');
    if (file.size > MAX_IMAGE_BYTES) return setAvatarProblem('10MB 이하 사진만 올릴 수 있어요');
    setAvatarProblem('');
    avatar.mutate(file);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (nicknameState === 'invalid' || nicknameState === 'taken') return;
    const patch: ProfilePatch = {
      nickname: nickname.trim(),
      regionId: regionId ?? null,
      address: address.trim() || null,
      phone: phone.trim() || null,
      mailNotifications,
    };
    setSaved(false);
    update.mutate(patch, { onSuccess: () => setSaved(true) });
  };

  return (
    <form className="form profile-form" onSubmit={submit}>
      <div className="avatar-edit">
        <Avatar url={me.avatarUrl} name={me.nickname} size={88} />
        <label className="btn btn-small">
          <CameraIcon size={16} /> {avatar.isPending ? '올리는 중…' : '사진 바꾸기'}
          <input type="file" accept="image/jpeg,image/png,image/webp" hidden disabled={avatar.isPending}
            data-testid="avatar-input" onChange={(e) => { pickAvatar(e.target.files?.[0]); e.target.value = ''; }} />
        </label>
        {avatarProblem && <p className="form-error" role="alert">{avatarProblem}</p>}
        <FormError error={avatar.error} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="profile-nickname">닉네임</label>
        <input id="profile-nickname" name="nickname" value={nickname} maxLength={20} onKeyDown={blockEnterWhileComposing}
          onChange={(e) => { setNickname(e.target.value); setSaved(false); }} />
        <NicknameHint state={nicknameState} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="profile-region">내 동네</label>
        <TreeSelect id="profile-region" roots={regions} value={regionId} leafOnly placeholder="동네 선택" name="regionId"
          onChange={(id) => { setRegionId(id); setSaved(false); }} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="profile-address">주소 (선택)</label>
        <input id="profile-address" name="address" value={address} maxLength={200} onKeyDown={blockEnterWhileComposing}
          onChange={(e) => { setAddress(e.target.value); setSaved(false); }} placeholder="택배 거래 때 쓸 주소" />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="profile-phone">전화번호 (선택)</label>
        <input id="profile-phone" name="phone" type="tel" inputMode="tel" autoComplete="tel" value={phone} maxLength={20}
          onChange={(e) => { setPhone(e.target.value); setSaved(false); }} placeholder="010-1234-5678" aria-describedby="profile-phone-hint" />
        <span id="profile-phone-hint" className="field-hint muted">휴대전화 번호만 쓸 수 있어요</span>
      </div>
      <div className="field">
        <label className="check-row" htmlFor="profile-mail-notifications">
          <input id="profile-mail-notifications" type="checkbox" checked={mailNotifications}
            onChange={(e) => { setMailNotifications(e.target.checked); setSaved(false); }} aria-describedby="profile-mail-hint" />
          <span>중요한 알림(예약 요청·상태 변경, 반납 알림, 운영 안내)을 메일로도 받기</span>
        </label>
        <span id="profile-mail-hint" className="field-hint muted">
          {me.emailVerified ? `${me.email} 주소로 보내요` : '이메일 인증을 마치면 메일이 가요'}
        </span>
      </div>
      <FormError error={update.error} />
      {saved && <p className="form-ok" role="status">저장했어요</p>}
      <button type="submit" className="btn btn-primary btn-block" disabled={update.isPending || nicknameState === 'taken' || nicknameState === 'invalid'}>
        {update.isPending ? '저장 중…' : '저장하기'}
      </button>
    </form>
  );
}
