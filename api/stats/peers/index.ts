export { nearestNeighbours, type NearestNeighbours, type Neighbour, type NeighbourCandidate, type StandardisedAttribute } from './nearest-neighbours';
