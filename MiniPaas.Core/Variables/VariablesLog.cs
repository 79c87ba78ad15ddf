using Microsoft.Extensions.Logging;

namespace MiniPaas.Core.Variables;

// Keys and counts only: a variable's value is never logged.
internal static partial class VariablesLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Project {ProjectId}: {Count} variable(s) set by {Actor}")]
    public static partial void VariablesSet(this ILogger logger, long projectId, int count, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {ProjectId}: variable {Key} deleted by {Actor}")]
    public static partial void VariableDeleted(this ILogger logger, long projectId, string key, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {ProjectId}: variable {Key} needed at build time: {IsBuildTime}, set by {Actor}")]
    public static partial void BuildTimeChanged(this ILogger logger, long projectId, string key, bool isBuildTime, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {ProjectId}: variable {Key} secret: {IsSecret}, set by {Actor}")]
    public static partial void SecretChanged(this ILogger logger, long projectId, string key, bool isSecret, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Project {ProjectId}: the repository could not be scanned for variables ({Trigger})")]
    public static partial void ScanFailed(this ILogger logger, Exception exception, long projectId, string trigger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Project {ProjectId}: variable {Key} cannot be decrypted (key ring lost or replaced, or the row was altered); set it again")]
    public static partial void CannotDecrypt(this ILogger logger, long projectId, string key);
}
