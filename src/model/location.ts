/** A span in a source file. Lines and columns are 1-based; `file` is absolute (or `<stdin>`). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}
