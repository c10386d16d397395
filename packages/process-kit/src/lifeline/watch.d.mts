export declare const LIFELINE_FD_ENV = 'FFK_LIFELINE_FD';
/** The lifeline this process was started with (its fd), or undefined. Read once: not for our own children's environment. */
export declare function inheritedLifeline(): number | undefined;
/** Calls `onLost` once when the other end of the lifeline on `fd` closes. */
export declare function watchFd(fd: number, onLost: () => void): void;
/** Calls `onLost` once when the parent's end of the lifeline closes. Returns false (and never calls) without a lifeline. */
export declare function watchLifeline(onLost: () => void): boolean;
/** Ends this process and, when it leads a process group, the whole group, at once. */
export declare function endProcessGroup(): void;
