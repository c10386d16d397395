// The kit's images: one per app, built from the repository root as the context.
export interface AppImage {
  name: 'web' | 'catalog' | 'inventory';
  /** Repository without tag, e.g. ffk/catalog. */
  image: string;
  dockerfile: string;
  port: number;
}

export const IMAGE_TAG = '0.1.0';

export const APP_IMAGES: readonly AppImage[] = [
  { name: 'web', image: 'ffk/web', dockerfile: 'apps/web/Dockerfile', port: 8080 },
  { name: 'catalog', image: 'ffk/catalog', dockerfile: 'apps/catalog/Dockerfile', port: 3000 },
  { name: 'inventory', image: 'ffk/inventory', dockerfile: 'apps/inventory/Dockerfile', port: 3001 },
];

/**
 * Size budget of what an app image adds to its Node base: the esbuild bundle and package.json
 * (about 2 MB today). e2e/images/app-images.test.ts holds every image to it.
 */
export const ADDED_BYTES_BUDGET = 4 * 1024 * 1024;
