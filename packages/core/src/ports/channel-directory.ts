import type { ChannelPort } from "./channel.js";

/** Finds the channel serving a conversation's channel connection. */
export interface ChannelDirectory {
  findChannel(channelConnectionId: string): Promise<ChannelPort | undefined>;
}
