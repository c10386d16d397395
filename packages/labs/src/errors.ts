/** Bad input or a state the user can fix: printed as one line, no stack trace. */
export class UserError extends Error {}
