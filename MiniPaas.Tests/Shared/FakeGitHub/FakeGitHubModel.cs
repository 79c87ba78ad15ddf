namespace MiniPaas.Tests.Shared.FakeGitHub;

/// <summary>A GitHub account of the fake server.</summary>
public sealed record FakeUser(long Id, string Login, string? Name, IReadOnlyList<string> Orgs);

/// <summary>A repository of the fake server, served over smart HTTP from a bare repository on disk.</summary>
public sealed record FakeRepo(long Id, string Owner, string Name, bool IsPrivate, bool IsOrganization, string DefaultBranch, string BarePath, IReadOnlyList<string> Collaborators)
{
    public string FullName => $"{Owner}/{Name}";
}

/// <summary>A webhook MiniPaas created through the API.</summary>
public sealed record FakeHook(long Id, string Owner, string Repo, string Url, string? Secret, IReadOnlyList<string> Events);

/// <summary>What the authorize page was asked for (to check PKCE and scopes).</summary>
public sealed record FakeAuthorizeRequest(string ClientId, string RedirectUri, string State, string Scope, string? CodeChallenge, string? CodeChallengeMethod);
