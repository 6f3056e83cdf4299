/**
 * Command, view and setting ids, defined once. package.json's "contributes" must agree with this table;
 * a unit test checks that, so a renamed command cannot silently vanish from the palette.
 */
export const CATEGORY = 'Media Dedupe';

export const COMMANDS = {
  findInFolder: { id: 'mediaDedupe.findDuplicatesInFolder', title: 'Find Duplicates in Folder' },
  findInWorkspace: { id: 'mediaDedupe.findDuplicatesInWorkspace', title: 'Find Duplicates in Workspace' },
  openGallery: { id: 'mediaDedupe.openGallery', title: 'Open Duplicates Gallery' },
  writeManifest: { id: 'mediaDedupe.writeManifest', title: 'Write Manifest' },
  openManifest: { id: 'mediaDedupe.openManifest', title: 'Open Manifest' },
  findSimilar: { id: 'mediaDedupe.findSimilarImages', title: 'Find Similar Images' },
  checkAgainstDataset: { id: 'mediaDedupe.checkFilesAgainstDataset', title: 'Check Files Against Dataset…' },
  clearCache: { id: 'mediaDedupe.clearCache', title: 'Clear Cache' },
  trashRemoved: { id: 'mediaDedupe.trashRemovedFiles', title: 'Move Removed Files to Trash…' },
  showLog: { id: 'mediaDedupe.showLog', title: 'Show Log' },
} as const;

/** Hidden from the palette: the e2e test loads a large synthetic result to measure the gallery. */
export const TEST_COMMANDS = {
  loadSyntheticPairs: 'mediaDedupe._loadSyntheticPairs',
  /** 330 copies of one picture: one cluster of 54,285 pairs. */
  loadSyntheticCluster: 'mediaDedupe._loadSyntheticCluster',
  /** 50,000 pairs in clusters of 11 files. */
  loadSyntheticDataset: 'mediaDedupe._loadSyntheticDataset',
} as const;

export const GALLERY_VIEW_TYPE = 'mediaDedupe.gallery';
export const CONFIG_SECTION = 'mediaDedupe';
