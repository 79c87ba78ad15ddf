namespace MiniPaas.Web.GitHub;

/// <summary>The GitHub account is not in <c>AllowedUsers</c> or <c>AllowedOrgs</c>: no session is created.</summary>
public sealed class SignInRefusedException(string login) : Exception($"GitHub user '{login}' is not allowed to use this MiniPaas.")
{
    public string Login { get; } = login;
}
