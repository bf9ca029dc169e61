import { describe, expect, it } from 'vitest';
import { cognitoLogoutUrl } from '../../functions/adapters/oidc-client.ts';

describe("Cognito's sign-out URL", () => {
  const settings = { clientId: '4abc123example', postLogoutRedirectUri: 'https://api.example.org/staff/' };

  it('is /logout on the managed login domain of the authorization endpoint', () => {
    const url = cognitoLogoutUrl(
      settings,
      'https://bangfu.auth.ap-east-1.amazoncognito.com/oauth2/authorize',
    );
    expect(url.href).toBe(
      'https://bangfu.auth.ap-east-1.amazoncognito.com/logout?client_id=4abc123example&logout_uri=https%3A%2F%2Fapi.example.org%2Fstaff%2F',
    );
  });

  it('uses a configured logout endpoint first', () => {
    const url = cognitoLogoutUrl(
      { ...settings, logoutEndpoint: 'https://login.example.org/logout' },
      'https://bangfu.auth.ap-east-1.amazoncognito.com/oauth2/authorize',
    );
    expect(url.origin + url.pathname).toBe('https://login.example.org/logout');
    expect(url.searchParams.get('logout_uri')).toBe('https://api.example.org/staff/');
  });
});
