import {
  ADVANCEDCRONJOB_API_VERSION,
  ADVANCEDCRONJOB_KIND,
  ADVANCEDCRONJOB_V1ALPHA1_API_VERSION,
  BROADCASTJOB_API_VERSION,
  BROADCASTJOB_KIND,
  BROADCASTJOB_V1ALPHA1_API_VERSION,
  EPHEMERALJOB_API_VERSION,
  EPHEMERALJOB_KIND,
  CLONESET_API_VERSION,
  CLONESET_KIND,
  CLONESET_V1ALPHA1_API_VERSION,
  DAEMONSET_API_VERSION,
  DAEMONSET_KIND,
  DAEMONSET_V1ALPHA1_API_VERSION,
  RESOURCEDISTRIBUTION_API_VERSION,
  RESOURCEDISTRIBUTION_KIND,
  RESOURCEDISTRIBUTION_V1ALPHA1_API_VERSION,
  PUB_API_VERSION,
  PUB_KIND,
  PUB_V1ALPHA1_API_VERSION,
  SIDECARSET_API_VERSION,
  SIDECARSET_KIND,
  SIDECARSET_V1ALPHA1_API_VERSION,
  STATEFULSET_API_VERSION,
  STATEFULSET_KIND,
  STATEFULSET_V1ALPHA1_API_VERSION,
  UNITEDDEPLOYMENT_API_VERSION,
  UNITEDDEPLOYMENT_KIND,
  UNITEDDEPLOYMENT_V1ALPHA1_API_VERSION,
} from '@kruise-ts/core';
import { describe, expect, it } from 'vitest';
import { KruiseResources, kruiseCrdName } from './kruiseResources.js';
import { Resources, apiVersionOf, resourcePath } from './resourceType.js';

describe('KruiseResources', () => {
  it.each([
    ['CloneSet', KruiseResources.CloneSet, CLONESET_KIND, CLONESET_API_VERSION, 'clonesets.apps.kruise.io', '/apis/apps.kruise.io/v1beta1/namespaces/apps/clonesets/web'],
    ['CloneSetV1alpha1', KruiseResources.CloneSetV1alpha1, CLONESET_KIND, CLONESET_V1ALPHA1_API_VERSION, 'clonesets.apps.kruise.io', '/apis/apps.kruise.io/v1alpha1/namespaces/apps/clonesets/web'],
    ['SidecarSet', KruiseResources.SidecarSet, SIDECARSET_KIND, SIDECARSET_API_VERSION, 'sidecarsets.apps.kruise.io', '/apis/apps.kruise.io/v1beta1/sidecarsets/web'],
    ['SidecarSetV1alpha1', KruiseResources.SidecarSetV1alpha1, SIDECARSET_KIND, SIDECARSET_V1ALPHA1_API_VERSION, 'sidecarsets.apps.kruise.io', '/apis/apps.kruise.io/v1alpha1/sidecarsets/web'],
    ['StatefulSet', KruiseResources.StatefulSet, STATEFULSET_KIND, STATEFULSET_API_VERSION, 'statefulsets.apps.kruise.io', '/apis/apps.kruise.io/v1beta1/namespaces/apps/statefulsets/web'],
    ['StatefulSetV1alpha1', KruiseResources.StatefulSetV1alpha1, STATEFULSET_KIND, STATEFULSET_V1ALPHA1_API_VERSION, 'statefulsets.apps.kruise.io', '/apis/apps.kruise.io/v1alpha1/namespaces/apps/statefulsets/web'],
    ['DaemonSet', KruiseResources.DaemonSet, DAEMONSET_KIND, DAEMONSET_API_VERSION, 'daemonsets.apps.kruise.io', '/apis/apps.kruise.io/v1beta1/namespaces/apps/daemonsets/web'],
    ['DaemonSetV1alpha1', KruiseResources.DaemonSetV1alpha1, DAEMONSET_KIND, DAEMONSET_V1ALPHA1_API_VERSION, 'daemonsets.apps.kruise.io', '/apis/apps.kruise.io/v1alpha1/namespaces/apps/daemonsets/web'],
    ['AdvancedCronJob', KruiseResources.AdvancedCronJob, ADVANCEDCRONJOB_KIND, ADVANCEDCRONJOB_API_VERSION, 'advancedcronjobs.apps.kruise.io', '/apis/apps.kruise.io/v1beta1/namespaces/apps/advancedcronjobs/web'],
    ['AdvancedCronJobV1alpha1', KruiseResources.AdvancedCronJobV1alpha1, ADVANCEDCRONJOB_KIND, ADVANCEDCRONJOB_V1ALPHA1_API_VERSION, 'advancedcronjobs.apps.kruise.io', '/apis/apps.kruise.io/v1alpha1/namespaces/apps/advancedcronjobs/web'],
    ['BroadcastJob', KruiseResources.BroadcastJob, BROADCASTJOB_KIND, BROADCASTJOB_API_VERSION, 'broadcastjobs.apps.kruise.io', '/apis/apps.kruise.io/v1beta1/namespaces/apps/broadcastjobs/web'],
    ['BroadcastJobV1alpha1', KruiseResources.BroadcastJobV1alpha1, BROADCASTJOB_KIND, BROADCASTJOB_V1ALPHA1_API_VERSION, 'broadcastjobs.apps.kruise.io', '/apis/apps.kruise.io/v1alpha1/namespaces/apps/broadcastjobs/web'],
    ['EphemeralJob', KruiseResources.EphemeralJob, EPHEMERALJOB_KIND, EPHEMERALJOB_API_VERSION, 'ephemeraljobs.apps.kruise.io', '/apis/apps.kruise.io/v1alpha1/namespaces/apps/ephemeraljobs/web'],
    ['UnitedDeployment', KruiseResources.UnitedDeployment, UNITEDDEPLOYMENT_KIND, UNITEDDEPLOYMENT_API_VERSION, 'uniteddeployments.apps.kruise.io', '/apis/apps.kruise.io/v1beta1/namespaces/apps/uniteddeployments/web'],
    ['UnitedDeploymentV1alpha1', KruiseResources.UnitedDeploymentV1alpha1, UNITEDDEPLOYMENT_KIND, UNITEDDEPLOYMENT_V1ALPHA1_API_VERSION, 'uniteddeployments.apps.kruise.io', '/apis/apps.kruise.io/v1alpha1/namespaces/apps/uniteddeployments/web'],
    ['ResourceDistribution', KruiseResources.ResourceDistribution, RESOURCEDISTRIBUTION_KIND, RESOURCEDISTRIBUTION_API_VERSION, 'resourcedistributions.apps.kruise.io', '/apis/apps.kruise.io/v1beta1/resourcedistributions/web'],
    ['ResourceDistributionV1alpha1', KruiseResources.ResourceDistributionV1alpha1, RESOURCEDISTRIBUTION_KIND, RESOURCEDISTRIBUTION_V1ALPHA1_API_VERSION, 'resourcedistributions.apps.kruise.io', '/apis/apps.kruise.io/v1alpha1/resourcedistributions/web'],
    ['PodUnavailableBudget', KruiseResources.PodUnavailableBudget, PUB_KIND, PUB_API_VERSION, 'podunavailablebudgets.policy.kruise.io', '/apis/policy.kruise.io/v1beta1/namespaces/apps/podunavailablebudgets/web'],
    ['PodUnavailableBudgetV1alpha1', KruiseResources.PodUnavailableBudgetV1alpha1, PUB_KIND, PUB_V1ALPHA1_API_VERSION, 'podunavailablebudgets.policy.kruise.io', '/apis/policy.kruise.io/v1alpha1/namespaces/apps/podunavailablebudgets/web'],
  ] as const)('%s has the kind and apiVersion of core, its CRD name and its URL', (_name, type, kind, apiVersion, crd, path) => {
    expect(type.kind).toBe(kind);
    expect(apiVersionOf(type)).toBe(apiVersion);
    expect(kruiseCrdName(type)).toBe(crd);
    expect(resourcePath(type, { namespace: 'apps', name: 'web' })).toBe(path);
  });

  it('is where Resources.CloneSet and Resources.SidecarSet point', () => {
    expect(Resources.CloneSet).toBe(KruiseResources.CloneSet);
    expect(Resources.SidecarSet).toBe(KruiseResources.SidecarSet);
  });
});
