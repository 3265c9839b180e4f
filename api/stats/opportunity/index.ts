export { opportunity, type Opportunity, type OpportunityInput, type OpportunityProvider, type ProviderOpportunity } from './opportunity-sizing';
