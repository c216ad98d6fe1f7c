// "채팅하기" on a listing: opens (or creates) the room with the owner and goes there.
import { useLocation, useNavigate } from 'react-router';
import { errorMessage } from '../api/client.ts';
import { useOpenChat } from '../api/chat.ts';
import { useMe } from '../api/members.ts';
import { ChatIcon } from './Icons.tsx';

export function ChatButton({ postId }: { postId: number }) {
  const { data: me } = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const open = useOpenChat();
  const onClick = () => {
    if (!me) return navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
    open.mutate(postId, {
      onSuccess: (room) => navigate(`/chats/${room.id}`),
      onError: (e) => window.alert(errorMessage(e)),
    });
  };
  return (
    <button type="button" className="btn btn-outline chat-start-btn" onClick={onClick} disabled={open.isPending}>
      <ChatIcon size={18} />
      채팅하기
    </button>
  );
}
