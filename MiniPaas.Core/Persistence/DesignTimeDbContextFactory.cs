using Microsoft.EntityFrameworkCore.Design;

namespace MiniPaas.Core.Persistence;

/// <summary>Lets <c>dotnet ef</c> build the model without the app; adding migrations and scripting them never connects.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<MiniPaasDbContext>
{
    public MiniPaasDbContext CreateDbContext(string[] args) =>
        new(MiniPaasDbContext.CreateOptions(
            Environment.GetEnvironmentVariable("MiniPaas__Database__ConnectionString") is { Length: > 0 } configured
                ? configured
                : "Host=127.0.0.1;Database=minipaas"));
}
