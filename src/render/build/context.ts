/**
 * What the parts of one build share. The Builder (builder.ts) implements it; the patches, the
 * builtin plugin table and the transform steps take it as a parameter instead of importing the
 * Builder, so that the builder can import them with no import cycle.
 */
import type { SourceLocation } from '../../model/location.ts';
import type { FileSystem } from '../fs.ts';
import type { GeneratorArgs } from '../generators.ts';
import type { LoadedKustomization } from '../kustomization.ts';
import type { CustomSchema } from '../patch/merge-schema.ts';
import type { ResMap, Resource } from '../resource.ts';
import type { TransformerConfig } from '../transformers/config.ts';

export interface RenderWarning {
  message: string;
  location: SourceLocation;
}

/** The source location of a path inside some YAML (a kustomization entry, a plugin configuration); no path: the entry itself. */
export type Locator = (...path: (string | number)[]) => SourceLocation;

export interface BuildContext {
  /** The file system, restricted to the build's root (load-restrictor.ts). */
  readonly fs: FileSystem;
  readonly warnings: RenderWarning[];
  /** RenderOptions.plugins: whether a generator plugin that would run a program fails the build or is skipped. */
  readonly plugins: 'refuse' | 'skip';
  /** RenderOptions.skipResourceFile: set for a partial build, where a patch's resource may be left out. */
  readonly skipResourceFile?: ((file: string) => boolean) | undefined;
  /** A user OpenAPI schema (`openapi: {path}`): the first one loaded (the top-most) wins. */
  openapi: CustomSchema | undefined;
  /** Objects the current patch took the build annotations of (it is their origin now, not a transformation record). */
  readonly unrecordable: Set<Resource>;
  /** The top kustomization asks for buildMetadata origin or transformer annotations (see applyStringMap). */
  rebuildsAnnotations: boolean;
  /** The top kustomization asks for buildMetadata transformerAnnotations (see recordTransformation). */
  recordsTransformations: boolean;
  /**
   * The top kustomization has any buildMetadata (managedByLabel too): kustomize then keeps
   * bookkeeping annotations on every object while it builds (see patches.ts, legacy JSON6902).
   */
  keepsBuildAnnotations: boolean;

  /** Reads a file of the build (and remembers it among the files read). */
  read(file: string): string;
  /** A path of a kustomization (a base, a component, a file), refused when remote or absolute. */
  resolve(k: LoadedKustomization, ref: string, at: SourceLocation): string;
  /** A file of a kustomization, which must stay inside its directory (kustomize's load restrictor). */
  resolveFile(k: LoadedKustomization, ref: string, at: SourceLocation): string;
  /** The transformer configuration (defaults + configurations) of the ResMap being built. */
  config(resmap: ResMap): TransformerConfig;
  /** Builds the kustomization in `dir`; a component is built into the caller's ResMap. */
  build(dir: string, from: SourceLocation | undefined, into?: ResMap): ResMap;
  /** Runs a ConfigMap or Secret generator (a kustomization field or a plugin configuration) into `resmap`. */
  addGenerated(
    k: LoadedKustomization,
    resmap: ResMap,
    kind: 'ConfigMap' | 'Secret',
    args: GeneratorArgs,
    at: Locator,
    field: string,
    configuredIn?: string,
    /** A plugin configuration's own name and namespace (buildMetadata records them). */
    plugin?: { name?: string; namespace?: string },
  ): void;
}
