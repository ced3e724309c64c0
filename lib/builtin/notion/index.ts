import type { BuiltinTool } from "../define";
import type { Notion } from "./client";
import appendBlocks from "./tools/append_blocks";
import createPage from "./tools/create_page";
import getDatabase from "./tools/get_database";
import getPage from "./tools/get_page";
import getPageContent from "./tools/get_page_content";
import queryDatabase from "./tools/query_database";
import search from "./tools/search";
import updatePage from "./tools/update_page";

/** Every built-in Notion tool, in the order clients list them. */
export const notionTools: BuiltinTool<Notion>[] = [
  search,
  getPage,
  getPageContent,
  createPage,
  updatePage,
  appendBlocks,
  queryDatabase,
  getDatabase,
];
