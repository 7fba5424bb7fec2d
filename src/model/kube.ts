import type { JsonObject } from './provenance.ts';

/** A rendered Kubernetes object: plain JSON (provenance rides on hidden symbols). */
export type KubeObject = JsonObject;

/** An ArgoCD Application manifest found in the repository, with its own provenance. */
export interface ApplicationDoc {
  object: KubeObject;
  /** Absolute path of the file that holds it. */
  file: string;
  /**
   * The kustomization directory ArgoCD renders it through (its namespace and patches then count,
   * and `object` is the rendered Application, its provenance still in `file`); absent for a plain file.
   */
  via?: string;
}
