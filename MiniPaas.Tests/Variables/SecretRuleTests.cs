using MiniPaas.Core.Variables;

namespace MiniPaas.Tests.Variables;

/// <summary>The one rule that decides which new variables start as secrets (and which suggestions get a generated value).</summary>
public sealed class SecretRuleTests
{
    [Theory]
    [InlineData("SECRET_KEY", true)]
    [InlineData("API_KEY", true)]
    [InlineData("GITHUB_TOKEN", true)]
    [InlineData("DB_PASSWORD", true)]
    [InlineData("SMTP_PASS", true)]
    [InlineData("MYSQL_PWD", true)]
    [InlineData("GOOGLE_APPLICATION_CREDENTIALS", true)]
    [InlineData("JWT_PRIVATE_KEY", true)]
    [InlineData("SENTRY_DSN", true)]
    [InlineData("session_secret", true)]
    [InlineData("KEY_ID", true)]
    [InlineData("MONKEY_COUNT", false)]
    [InlineData("PASSENGER_LIMIT", false)]
    [InlineData("DATABASE_URL", false)]
    [InlineData("LINES", false)]
    [InlineData("NODE_ENV", false)]
    [InlineData("PORT", false)]
    public void KeyLooksSecret_Table(string key, bool secret) => Assert.Equal(secret, SecretRule.KeyLooksSecret(key));

    [Theory]
    [InlineData("postgres://app:hunter2@db:5432/app", true)]
    [InlineData("redis://:only-a-password@cache:6379", true)]
    [InlineData("amqp://user:p@ss:word@broker/vhost", true)]
    [InlineData("postgres://app:${DB_PASSWORD}@db/app", true)]
    [InlineData("see https://u:pw@host/x for details", true)]
    [InlineData("https://example.com/a https://u:pw@host", true)]
    [InlineData("https://user@host/path", false)]
    [InlineData("https://user:@host/path", false)]
    [InlineData("https://host:8443/path", false)]
    [InlineData("https://host/path:a@b", false)]
    [InlineData("https://host/?next=u:p@h", false)]
    [InlineData("://x:y@z", false)]
    [InlineData("production", false)]
    [InlineData("20000", false)]
    public void HasUrlPassword_Table(string value, bool secret) => Assert.Equal(secret, SecretRule.HasUrlPassword(value));

    [Fact]
    public void LooksSecret_KeyOrValue_EitherIsEnough()
    {
        Assert.True(SecretRule.LooksSecret("API_TOKEN", "abc"));
        Assert.True(SecretRule.LooksSecret("DATABASE_URL", "postgres://app:pw-123456@db/app"));
        Assert.False(SecretRule.LooksSecret("DATABASE_URL", "postgres://db/app"));
        Assert.False(SecretRule.LooksSecret("LINES", "20000"));
        Assert.False(SecretRule.LooksSecret("NODE_ENV", null));
    }

    [Fact]
    public void HasUrlPassword_LongValueOfSeparators_AnswersWithoutBacktracking()
    {
        // 64 KB of "a://" repeats: the check stays linear (each authority ends at the next '/').
        var value = string.Concat(Enumerable.Repeat("a://", VariableRules.MaxValueBytes / 4));

        Assert.False(SecretRule.HasUrlPassword(value));
    }

    [Fact]
    public void IsSecretLike_Suggestion_UsesTheSameKeyRule()
    {
        var source = new SuggestionSource("listed in .env.example", ".env.example", 1);

        Assert.True(new VariableSuggestion("SENTRY_DSN", null, [source], false).IsSecretLike);
        Assert.False(new VariableSuggestion("LINES", null, [source], false).IsSecretLike);
    }
}
