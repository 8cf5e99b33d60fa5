import { canonicalGoQuantity } from './sidecarSetGoQuantity.js';

/*
 * The JSON OpenKruise writes for the parts of a SidecarSet it hashes and records, byte for byte.
 * OpenKruise reads the SidecarSet into Go structs and marshals them again, so what it writes is
 * not what the apiserver holds: fields Go does not know are dropped, fields without `omitempty`
 * appear with their zero value (`"resources":{}`, `"divisor":"0"`), empty `omitempty` fields
 * disappear, quantities are printed canonically (`0.5` → `"500m"`), struct fields come in Go's
 * declaration order and map keys sorted, and `<`, `>`, `&`, U+2028 and U+2029 are escaped.
 *
 * The tables below are the Go types of those parts (core/v1 of Kubernetes 1.3x, OpenKruise's
 * SidecarContainer): field order, JSON name, `omitempty`. A value of a type not modelled here
 * (a rarely used volume source, say) is kept as given, with its keys sorted when the output is.
 */

/** A Go type as far as JSON encoding is concerned. */
export type GoType =
  | { readonly k: 'string' | 'number' | 'bool' | 'quantity' | 'intOrString' | 'opaque' }
  | { readonly k: 'ptr' | 'slice' | 'map'; readonly elem: GoType }
  | { readonly k: 'struct'; readonly fields: readonly GoField[] };

/** A field of a Go struct: JSON name, type, and whether it has `omitempty`. */
export interface GoField {
  readonly name: string;
  readonly type: GoType;
  readonly omitempty: boolean;
}

/** A JSON value as Go writes it: objects keep the order their entries are written in. */
export type GoNode = null | string | number | boolean | readonly GoNode[] | { readonly entries: readonly (readonly [string, GoNode])[] };

const STRING: GoType = { k: 'string' };
const NUMBER: GoType = { k: 'number' };
const BOOL: GoType = { k: 'bool' };
const QUANTITY: GoType = { k: 'quantity' };
const INT_OR_STRING: GoType = { k: 'intOrString' };
const OPAQUE: GoType = { k: 'opaque' };
const ptr = (elem: GoType): GoType => ({ k: 'ptr', elem });
const slice = (elem: GoType): GoType => ({ k: 'slice', elem });
const map = (elem: GoType): GoType => ({ k: 'map', elem });
const struct = (...fields: readonly GoField[]): GoType => ({ k: 'struct', fields });
/** A field without `omitempty`. */
const req = (name: string, type: GoType): GoField => ({ name, type, omitempty: false });
/** A field with `omitempty`. */
const opt = (name: string, type: GoType): GoField => ({ name, type, omitempty: true });

const LOCAL_OBJECT_REFERENCE = [opt('name', STRING)];
const OBJECT_FIELD_SELECTOR = struct(opt('apiVersion', STRING), req('fieldPath', STRING));
const RESOURCE_FIELD_SELECTOR = struct(opt('containerName', STRING), req('resource', STRING), opt('divisor', QUANTITY));
const KEY_SELECTOR = struct(...LOCAL_OBJECT_REFERENCE, req('key', STRING), opt('optional', ptr(BOOL)));
const ENV_VAR = struct(
  req('name', STRING),
  opt('value', STRING),
  opt(
    'valueFrom',
    ptr(
      struct(
        opt('fieldRef', ptr(OBJECT_FIELD_SELECTOR)),
        opt('resourceFieldRef', ptr(RESOURCE_FIELD_SELECTOR)),
        opt('configMapKeyRef', ptr(KEY_SELECTOR)),
        opt('secretKeyRef', ptr(KEY_SELECTOR)),
        opt('fileKeyRef', ptr(OPAQUE)),
      ),
    ),
  ),
);
const ENV_FROM_REF = struct(...LOCAL_OBJECT_REFERENCE, opt('optional', ptr(BOOL)));
const ENV_FROM_SOURCE = struct(opt('prefix', STRING), opt('configMapRef', ptr(ENV_FROM_REF)), opt('secretRef', ptr(ENV_FROM_REF)));
const CONTAINER_PORT = struct(opt('name', STRING), opt('hostPort', NUMBER), req('containerPort', NUMBER), opt('protocol', STRING), opt('hostIP', STRING));
const RESOURCE_REQUIREMENTS = struct(opt('limits', map(QUANTITY)), opt('requests', map(QUANTITY)), opt('claims', slice(struct(req('name', STRING), opt('request', STRING)))));
const VOLUME_MOUNT = struct(
  req('name', STRING),
  opt('readOnly', BOOL),
  opt('recursiveReadOnly', ptr(STRING)),
  req('mountPath', STRING),
  opt('subPath', STRING),
  opt('mountPropagation', ptr(STRING)),
  opt('subPathExpr', STRING),
);
const EXEC_ACTION = struct(opt('command', slice(STRING)));
const HTTP_GET_ACTION = struct(
  opt('path', STRING),
  req('port', INT_OR_STRING),
  opt('host', STRING),
  opt('scheme', STRING),
  opt('httpHeaders', slice(struct(req('name', STRING), req('value', STRING)))),
);
const TCP_SOCKET_ACTION = struct(req('port', INT_OR_STRING), opt('host', STRING));
const PROBE = struct(
  opt('exec', ptr(EXEC_ACTION)),
  opt('httpGet', ptr(HTTP_GET_ACTION)),
  opt('tcpSocket', ptr(TCP_SOCKET_ACTION)),
  opt('grpc', ptr(struct(req('port', NUMBER), req('service', ptr(STRING))))),
  opt('initialDelaySeconds', NUMBER),
  opt('timeoutSeconds', NUMBER),
  opt('periodSeconds', NUMBER),
  opt('successThreshold', NUMBER),
  opt('failureThreshold', NUMBER),
  opt('terminationGracePeriodSeconds', ptr(NUMBER)),
);
const LIFECYCLE_HANDLER = struct(
  opt('exec', ptr(EXEC_ACTION)),
  opt('httpGet', ptr(HTTP_GET_ACTION)),
  opt('tcpSocket', ptr(TCP_SOCKET_ACTION)),
  opt('sleep', ptr(struct(req('seconds', NUMBER)))),
);
const PROFILE = struct(req('type', STRING), opt('localhostProfile', ptr(STRING)));
const SECURITY_CONTEXT = struct(
  opt('capabilities', ptr(struct(opt('add', slice(STRING)), opt('drop', slice(STRING))))),
  opt('privileged', ptr(BOOL)),
  opt('seLinuxOptions', ptr(struct(opt('user', STRING), opt('role', STRING), opt('type', STRING), opt('level', STRING)))),
  opt(
    'windowsOptions',
    ptr(struct(opt('gmsaCredentialSpecName', ptr(STRING)), opt('gmsaCredentialSpec', ptr(STRING)), opt('runAsUserName', ptr(STRING)), opt('hostProcess', ptr(BOOL)))),
  ),
  opt('runAsUser', ptr(NUMBER)),
  opt('runAsGroup', ptr(NUMBER)),
  opt('runAsNonRoot', ptr(BOOL)),
  opt('readOnlyRootFilesystem', ptr(BOOL)),
  opt('allowPrivilegeEscalation', ptr(BOOL)),
  opt('procMount', ptr(STRING)),
  opt('seccompProfile', ptr(PROFILE)),
  opt('appArmorProfile', ptr(PROFILE)),
);

/** core/v1 `Container`, fields in Go's order. */
export const GO_CONTAINER_FIELDS: readonly GoField[] = [
  req('name', STRING),
  opt('image', STRING),
  opt('command', slice(STRING)),
  opt('args', slice(STRING)),
  opt('workingDir', STRING),
  opt('ports', slice(CONTAINER_PORT)),
  opt('envFrom', slice(ENV_FROM_SOURCE)),
  opt('env', slice(ENV_VAR)),
  opt('resources', RESOURCE_REQUIREMENTS),
  opt('resizePolicy', slice(struct(req('resourceName', STRING), req('restartPolicy', STRING)))),
  opt('restartPolicy', ptr(STRING)),
  opt('restartPolicyRules', slice(OPAQUE)),
  opt('volumeMounts', slice(VOLUME_MOUNT)),
  opt('volumeDevices', slice(struct(req('name', STRING), req('devicePath', STRING)))),
  opt('livenessProbe', ptr(PROBE)),
  opt('readinessProbe', ptr(PROBE)),
  opt('startupProbe', ptr(PROBE)),
  opt('lifecycle', ptr(struct(opt('postStart', ptr(LIFECYCLE_HANDLER)), opt('preStop', ptr(LIFECYCLE_HANDLER)), opt('stopSignal', ptr(STRING))))),
  opt('terminationMessagePath', STRING),
  opt('terminationMessagePolicy', STRING),
  opt('imagePullPolicy', STRING),
  opt('securityContext', ptr(SECURITY_CONTEXT)),
  opt('stdin', BOOL),
  opt('stdinOnce', BOOL),
  opt('tty', BOOL),
];

const SHARE_VOLUME_POLICY = struct(opt('type', STRING));
const RESOURCE_EXPR_VALUES = struct(opt('cpu', STRING), opt('memory', STRING));

/** OpenKruise's `SidecarContainer`: the core/v1 Container inlined, then the injection settings. */
export const GO_SIDECAR_CONTAINER: GoType = struct(
  ...GO_CONTAINER_FIELDS,
  opt('podInjectPolicy', STRING),
  opt('upgradeStrategy', struct(opt('upgradeType', STRING), opt('hotUpgradeEmptyImage', STRING))),
  opt('shareVolumePolicy', SHARE_VOLUME_POLICY),
  opt('shareVolumeDevicePolicy', ptr(SHARE_VOLUME_POLICY)),
  opt(
    'transferEnv',
    slice(struct(opt('sourceContainerName', STRING), opt('sourceContainerNameFrom', ptr(struct(opt('fieldRef', ptr(OBJECT_FIELD_SELECTOR))))), opt('envName', STRING), opt('envNames', slice(STRING)))),
  ),
  opt(
    'resourcesPolicy',
    ptr(
      struct(
        opt('targetContainersMode', STRING),
        opt('targetContainersNameRegex', STRING),
        opt('resourcesExpr', struct(opt('limits', ptr(RESOURCE_EXPR_VALUES)), opt('requests', ptr(RESOURCE_EXPR_VALUES)))),
      ),
    ),
  ),
);

const KEY_TO_PATH = struct(req('key', STRING), req('path', STRING), opt('mode', ptr(NUMBER)));
const DOWNWARD_API_FILE = struct(req('path', STRING), opt('fieldRef', ptr(OBJECT_FIELD_SELECTOR)), opt('resourceFieldRef', ptr(RESOURCE_FIELD_SELECTOR)), opt('mode', ptr(NUMBER)));
const PROJECTION_ITEMS = [opt('items', slice(KEY_TO_PATH)), opt('optional', ptr(BOOL))];

/** core/v1 `Volume` (name and the inlined VolumeSource; sources not modelled here are kept as given). */
export const GO_VOLUME: GoType = struct(
  req('name', STRING),
  opt('hostPath', ptr(struct(req('path', STRING), opt('type', ptr(STRING))))),
  opt('emptyDir', ptr(struct(opt('medium', STRING), opt('sizeLimit', ptr(QUANTITY))))),
  opt('gcePersistentDisk', ptr(OPAQUE)),
  opt('awsElasticBlockStore', ptr(OPAQUE)),
  opt('gitRepo', ptr(OPAQUE)),
  opt('secret', ptr(struct(opt('secretName', STRING), opt('items', slice(KEY_TO_PATH)), opt('defaultMode', ptr(NUMBER)), opt('optional', ptr(BOOL))))),
  opt('nfs', ptr(struct(req('server', STRING), req('path', STRING), opt('readOnly', BOOL)))),
  opt('iscsi', ptr(OPAQUE)),
  opt('glusterfs', ptr(OPAQUE)),
  opt('persistentVolumeClaim', ptr(struct(req('claimName', STRING), opt('readOnly', BOOL)))),
  opt('rbd', ptr(OPAQUE)),
  opt('flexVolume', ptr(OPAQUE)),
  opt('cinder', ptr(OPAQUE)),
  opt('cephfs', ptr(OPAQUE)),
  opt('flocker', ptr(OPAQUE)),
  opt('downwardAPI', ptr(struct(opt('items', slice(DOWNWARD_API_FILE)), opt('defaultMode', ptr(NUMBER))))),
  opt('fc', ptr(OPAQUE)),
  opt('azureFile', ptr(OPAQUE)),
  opt('configMap', ptr(struct(...LOCAL_OBJECT_REFERENCE, opt('items', slice(KEY_TO_PATH)), opt('defaultMode', ptr(NUMBER)), opt('optional', ptr(BOOL))))),
  opt('vsphereVolume', ptr(OPAQUE)),
  opt('quobyte', ptr(OPAQUE)),
  opt('azureDisk', ptr(OPAQUE)),
  opt('photonPersistentDisk', ptr(OPAQUE)),
  opt(
    'projected',
    ptr(
      struct(
        req(
          'sources',
          slice(
            struct(
              opt('secret', ptr(struct(...LOCAL_OBJECT_REFERENCE, ...PROJECTION_ITEMS))),
              opt('downwardAPI', ptr(struct(opt('items', slice(DOWNWARD_API_FILE))))),
              opt('configMap', ptr(struct(...LOCAL_OBJECT_REFERENCE, ...PROJECTION_ITEMS))),
              opt('serviceAccountToken', ptr(struct(opt('audience', STRING), opt('expirationSeconds', ptr(NUMBER)), req('path', STRING)))),
              opt('clusterTrustBundle', ptr(OPAQUE)),
              opt('podCertificate', ptr(OPAQUE)),
            ),
          ),
        ),
        opt('defaultMode', ptr(NUMBER)),
      ),
    ),
  ),
  opt('portworxVolume', ptr(OPAQUE)),
  opt('scaleIO', ptr(OPAQUE)),
  opt('storageos', ptr(OPAQUE)),
  opt('csi', ptr(struct(req('driver', STRING), opt('readOnly', ptr(BOOL)), opt('fsType', ptr(STRING)), opt('volumeAttributes', map(STRING)), opt('nodePublishSecretRef', ptr(struct(...LOCAL_OBJECT_REFERENCE)))))),
  opt('ephemeral', ptr(OPAQUE)),
  opt('image', ptr(struct(opt('reference', STRING), opt('pullPolicy', STRING)))),
);

/** core/v1 `LocalObjectReference` (an imagePullSecrets entry). */
export const GO_LOCAL_OBJECT_REFERENCE: GoType = struct(...LOCAL_OBJECT_REFERENCE);

/** OpenKruise's `SidecarSetPatchPodMetadata`. */
export const GO_PATCH_POD_METADATA: GoType = struct(opt('annotations', map(STRING)), opt('patchPolicy', STRING));

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const byKey = (a: readonly [string, unknown], b: readonly [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function opaque(value: unknown): GoNode {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(opaque);
  if (isRecord(value)) return { entries: Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, opaque(v)] as const) };
  return value as string | number | boolean;
}

// Whether Go's omitempty leaves the field out: false, 0, "", nil, and empty slices and maps.
function isEmpty(value: unknown, type: GoType): boolean {
  if (value === undefined || value === null) return type.k !== 'struct' && type.k !== 'quantity' && type.k !== 'intOrString';
  switch (type.k) {
    case 'string':
      return value === '';
    case 'number':
      return value === 0;
    case 'bool':
      return value === false;
    case 'slice':
      return Array.isArray(value) && value.length === 0;
    case 'map':
      return isRecord(value) && Object.keys(value).length === 0;
    case 'ptr':
    case 'struct':
    case 'quantity':
    case 'intOrString':
    case 'opaque':
      return false;
  }
}

function zero(type: GoType): GoNode {
  switch (type.k) {
    case 'string':
      return '';
    case 'number':
    case 'intOrString':
      return 0;
    case 'bool':
      return false;
    case 'quantity':
      return '0';
    case 'struct':
      return encodeGo({}, type);
    case 'ptr':
    case 'slice':
    case 'map':
    case 'opaque':
      return null;
  }
}

/**
 * Returns `value` (JSON as the apiserver holds it) as Go writes it after reading it into the Go
 * type `type`: unknown fields dropped, zero values of fields without `omitempty` added, empty
 * `omitempty` fields dropped, struct fields in declaration order, map keys sorted, quantities
 * canonical. A value of the wrong JSON type is kept as given.
 *
 * @example encodeGo({ name: 'log', image: 'fluentd:1', cpu: 1 }, GO_SIDECAR_CONTAINER) →
 *   { entries: [['name', 'log'], ['image', 'fluentd:1'], ['resources', { entries: [] }], ['upgradeStrategy', …], ['shareVolumePolicy', …]] }
 */
export function encodeGo(value: unknown, type: GoType): GoNode {
  if (value === undefined || value === null) return zero(type);
  switch (type.k) {
    case 'ptr':
      return encodeGo(value, type.elem);
    case 'slice':
      return Array.isArray(value) ? value.map((item: unknown) => encodeGo(item, type.elem)) : opaque(value);
    case 'map':
      return isRecord(value) ? { entries: Object.entries(value).sort(byKey).map(([k, v]) => [k, encodeGo(v, type.elem)] as const) } : opaque(value);
    case 'struct': {
      if (!isRecord(value)) return opaque(value);
      const entries: (readonly [string, GoNode])[] = [];
      for (const field of type.fields) {
        const member = value[field.name];
        if (field.omitempty && isEmpty(member, field.type)) continue;
        entries.push([field.name, encodeGo(member, field.type)]);
      }
      return { entries };
    }
    case 'quantity':
      return typeof value === 'string' || typeof value === 'number' ? canonicalGoQuantity(value) : opaque(value);
    case 'string':
    case 'number':
    case 'bool':
    case 'intOrString':
    case 'opaque':
      return opaque(value);
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

// Go's string encoding with HTML escaping on (json.Marshal's default).
function goString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ch = text.charAt(i);
    const escape = ESCAPES[ch];
    if (escape !== undefined) out += escape;
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) {
      out += text.slice(i, i + 2);
      i += 1;
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\ufffd'; // a lone surrogate reached Go as U+FFFD
    else out += ch;
  }
  return `${out}"`;
}

/**
 * Returns the bytes (as a string) Go's `json.Marshal` writes for `node`; with `sortKeys` every
 * object's keys are sorted, as when Go marshals a `map[string]interface{}`.
 *
 * @example goJsonText({ entries: [['b', 1], ['a', '<x>']] }, true) → '{"a":"\u003cx\u003e","b":1}'
 */
export function goJsonText(node: GoNode, sortKeys: boolean): string {
  if (node === null) return 'null';
  if (typeof node === 'string') return goString(node);
  if (typeof node === 'number' || typeof node === 'boolean') return JSON.stringify(node);
  if (Array.isArray(node)) return `[${(node as readonly GoNode[]).map((item) => goJsonText(item, sortKeys)).join(',')}]`;
  const { entries } = node as { readonly entries: readonly (readonly [string, GoNode])[] };
  const ordered = sortKeys ? [...entries].sort(byKey) : entries;
  return `{${ordered.map(([k, v]) => `${goString(k)}:${goJsonText(v, sortKeys)}`).join(',')}}`;
}

/**
 * Returns `node` as a plain JSON value whose keys are in the order Go writes them (sorted when
 * `sortKeys`), so that `JSON.stringify` gives Go's bytes up to HTML escaping (and except object
 * keys that are array indices, which JavaScript always puts first).
 *
 * @example goJsonValue({ entries: [['b', 1], ['a', null]] }, true) → { a: null, b: 1 }
 */
export function goJsonValue(node: GoNode, sortKeys: boolean): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return (node as readonly GoNode[]).map((item) => goJsonValue(item, sortKeys));
  const { entries } = node as { readonly entries: readonly (readonly [string, GoNode])[] };
  const ordered = sortKeys ? [...entries].sort(byKey) : entries;
  return Object.fromEntries(ordered.map(([k, v]) => [k, goJsonValue(v, sortKeys)]));
}
