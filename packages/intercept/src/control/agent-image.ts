// Where the agent runs, in its own module so the CLI's help can name it without loading client-node.

/** The apps' base image (apps/*\/Dockerfile), pinned by tag; `--agent-image` names a mirror of it. */
export const DEFAULT_AGENT_IMAGE = 'node:24.21.0-bookworm-slim';
/** Where the sidecar mounts the ConfigMap, and the bundle's key in it. */
export const AGENT_MOUNT_PATH = '/ffk-agent';
export const AGENT_BUNDLE_KEY = 'agent.mjs';
export const AGENT_VOLUME = 'ffk-agent';
