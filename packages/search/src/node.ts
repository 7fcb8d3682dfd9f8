// @effnet/search/node: the search store in a folder (Node's file system), kept out of the main
// entry so that the search itself stays free of Node built-ins.
export { fileSearchStore, SEARCH_FILES } from './node/file-search-store.js';
