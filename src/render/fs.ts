// The file system interface lives in src/util/fs.ts (the walks below the renderer read through it too).
export { cachingFileSystem, nodeFileSystem, type DirEntry, type FileSystem } from '../util/fs.ts';
