/** Operator names by id, fetched once per page. */
import type { Organization } from '@realtimemap/shared';
import { useEffect, useState } from 'react';
import { useServices } from '../app-context.ts';

export function useOrganizations(): readonly Organization[] {
  const { fetchJson } = useServices();
  const [orgs, setOrgs] = useState<readonly Organization[]>([]);
  useEffect(() => {
    let cancelled = false;
    fetchJson<Organization[]>('/api/organizations')
      .then((list) => {
        if (!cancelled && Array.isArray(list)) setOrgs(list);
      })
      .catch(() => {
        // Names fall back to "Operator <id>".
      });
    return () => {
      cancelled = true;
    };
  }, [fetchJson]);
  return orgs;
}
