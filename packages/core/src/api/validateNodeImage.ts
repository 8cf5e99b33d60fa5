import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { MAX_IMAGES_PER_NODE, type NodeImage } from './nodeImage.js';

/**
 * Returns every problem of a NodeImage as OpenKruise's validating webhook
 * (`pkg/webhook/nodeimage/validating`) finds them, each with its field path: at most 256 images,
 * no empty image name, each tag non-empty and unique within its image, with `createdAt`, a
 * `version` not below 0 and a `pullPolicy` with `ttlSecondsAfterFinished` (the mutating defaults
 * run first, so only `ttlSecondsAfterFinished` is usually missing).
 *
 * @example a tag '1.0' of 'nginx' without pullPolicy → `[{ path: 'spec.images[nginx].tags[0].pullPolicy', message: 'Required value: pullPolicy field for nginx/1.0 must set' }]`
 */
export function validateNodeImage(nodeImage: NodeImage): readonly FieldProblem[] {
  const images = Object.entries(nodeImage.spec?.images ?? {});
  return [
    ...(images.length > MAX_IMAGES_PER_NODE ? [fieldProblem('spec.images', `Too many: ${String(images.length)}: spec images length ${String(images.length)} can not be more than ${String(MAX_IMAGES_PER_NODE)}`)] : []),
    ...images.flatMap(([name, image]) => {
      if (name === '') return [fieldProblem('spec.images', 'Required value: image name can not be empty')];
      const seen = new Set<string>();
      return image.tags.flatMap((tag, i): FieldProblem[] => {
        const path = `spec.images[${name}].tags[${String(i)}]`;
        const fullName = `${name}/${tag.tag}`;
        if (tag.tag === '') return [fieldProblem(`${path}.tag`, `Required value: tag for image ${name} can not be empty`)];
        if (seen.has(tag.tag)) return [fieldProblem(`${path}.tag`, `Duplicate value: duplicated tag ${tag.tag} for image ${name}`)];
        seen.add(tag.tag);
        return [
          ...(tag.createdAt == null ? [fieldProblem(`${path}.createdAt`, `Required value: createAt field for ${fullName} can not be empty`)] : []),
          ...((tag.version ?? 0) < 0 ? [fieldProblem(`${path}.version`, `Invalid value: ${String(tag.version)}: version for ${fullName} can not be less than 0`)] : []),
          ...(tag.pullPolicy === undefined
            ? [fieldProblem(`${path}.pullPolicy`, `Required value: pullPolicy field for ${fullName} must set`)]
            : tag.pullPolicy.ttlSecondsAfterFinished === undefined
              ? [fieldProblem(`${path}.pullPolicy.ttlSecondsAfterFinished`, `Required value: pullPolicy.ttlSecondsAfterFinished for ${fullName} must set`)]
              : []),
        ];
      });
    }),
  ];
}
