/** The chat room's messages: what a client may send (checked) and what the server sends (typed). */
import { z } from 'zod';
import type { MessageCheck } from '../../src/transport/index.ts';

export const MAX_TEXT = 500;

const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('say'), text: z.string().trim().min(1).max(MAX_TEXT) }).strict(),
]);

/** Client -> server. */
export type ChatIn = z.infer<typeof clientMessageSchema>;

/** Server -> client. */
export type ChatOut =
  | { readonly type: 'welcome'; readonly you: string; readonly members: readonly string[] }
  | { readonly type: 'joined'; readonly name: string; readonly at: number }
  | { readonly type: 'left'; readonly name: string; readonly at: number }
  | { readonly type: 'said'; readonly from: string; readonly text: string; readonly at: number };

export const checkChatIn: MessageCheck<ChatIn> = (value) => {
  const parsed = clientMessageSchema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, reason: parsed.error.issues.map((i) => i.message).join('; ') };
};

/** A display name from the `?name=` query: trimmed, 1..24 characters, else a generated one. */
export function displayName(requested: string | null, fallback: string): string {
  const name = (requested ?? '').trim().replace(/\s+/g, ' ');
  return name.length >= 1 && name.length <= 24 ? name : fallback;
}
