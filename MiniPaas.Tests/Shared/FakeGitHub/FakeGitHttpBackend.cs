using System.Text;
using CliWrap;
using Microsoft.AspNetCore.Http;

namespace MiniPaas.Tests.Shared.FakeGitHub;

/// <summary>Serves bare repositories over git's smart HTTP protocol by running <c>git http-backend</c> (CGI) through CliWrap.</summary>
internal static class FakeGitHttpBackend
{
    public static async Task ServeAsync(HttpContext context, string projectRoot, string pathInfo)
    {
        var request = context.Request;
        using var input = new MemoryStream();
        await request.Body.CopyToAsync(input, context.RequestAborted);
        var environment = new Dictionary<string, string?>
        {
            ["GIT_PROJECT_ROOT"] = projectRoot,
            ["GIT_HTTP_EXPORT_ALL"] = "1",
            ["PATH_INFO"] = pathInfo,
            ["REQUEST_METHOD"] = request.Method,
            ["QUERY_STRING"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : "",
            ["CONTENT_TYPE"] = request.ContentType ?? "",
            ["CONTENT_LENGTH"] = input.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["REMOTE_ADDR"] = "127.0.0.1",
            ["REMOTE_USER"] = context.Items["fake-user"] as string ?? "",
            ["GIT_PROTOCOL"] = request.Headers["Git-Protocol"].FirstOrDefault() ?? "",
            ["HTTP_CONTENT_ENCODING"] = request.Headers.ContentEncoding.FirstOrDefault() ?? "",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
        };
        using var output = new MemoryStream();
        var stderr = new StringBuilder();
        await Cli.Wrap("git").WithArguments(["http-backend"]).WithEnvironmentVariables(environment)
            .WithStandardInputPipe(PipeSource.FromBytes(input.ToArray()))
            .WithStandardOutputPipe(PipeTarget.ToStream(output))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(context.RequestAborted);

        var bytes = output.ToArray();
        var headerEnd = IndexOfHeaderEnd(bytes, out var separatorLength);
        if (headerEnd < 0)
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("git http-backend failed: " + stderr, context.RequestAborted);
            return;
        }

        foreach (var line in Encoding.ASCII.GetString(bytes, 0, headerEnd).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                context.Response.Headers[name] = value;
            }
        }

        await context.Response.Body.WriteAsync(bytes.AsMemory(headerEnd + separatorLength), context.RequestAborted);
    }

    private static int IndexOfHeaderEnd(byte[] bytes, out int separatorLength)
    {
        for (var i = 0; i < bytes.Length - 1; i++)
        {
            if (bytes[i] == '\n' && bytes[i + 1] == '\n')
            {
                separatorLength = 2;
                return i;
            }

            if (i < bytes.Length - 3 && bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                separatorLength = 4;
                return i;
            }
        }

        separatorLength = 0;
        return -1;
    }
}
