// The directories read from the configuration file pass the suite the database's pass.
import { directoryConformance } from "@replykit/core/conformance";
import {
  ConfigAgentDirectory,
  ConfigConversationDirectory,
} from "../src/composition/config-directories.js";

directoryConformance("ConfigAgentDirectory and ConfigConversationDirectory", async (seed) => ({
  agents: new ConfigAgentDirectory(seed.agents),
  conversations: new ConfigConversationDirectory(seed.conversations),
}));
