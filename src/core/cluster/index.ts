export { buildClusters, pairKey, type BuiltCluster, type BuiltMember, type ClusterEdge, type ClusterInput } from './buildClusters.js';
export { compareForKeep, type KeepInfo, type Override } from './keepPolicy.js';
