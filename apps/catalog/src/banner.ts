// ✏️  This is the file the labs ask you to change.
// Edit the text or the colour (any CSS colour), save, and watch the storefront banner follow:
// how long that takes depends on the loop you use (rebuild + redeploy, file sync, or intercept).
export const banner = {
  text: 'Fresh beans, slow brews, fast feedback',
  color: '#0f766e',
};
