namespace MiniPaas.Core.Analytics;

/// <summary>What kind of client sent a request, from its User-Agent (stored as a small number).</summary>
public enum UserAgentClass : short
{
    /// <summary>Scripts, libraries, health checkers and requests without a User-Agent.</summary>
    Other = 0,

    /// <summary>A person's web browser.</summary>
    Browser = 1,

    /// <summary>A crawler, link previewer or monitoring robot that says so.</summary>
    Bot = 2,
}

/// <summary>Sorts User-Agent strings into <see cref="UserAgentClass"/>; self-declared robots first, then browsers.</summary>
public static class UserAgentClassifier
{
    // Substrings that crawlers, previewers and uptime robots put in their User-Agent (checked case-insensitively).
    private static readonly string[] BotMarkers =
    [
        "bot", "crawl", "spider", "slurp", "mediapartners", "facebookexternalhit", "embedly", "preview", "headless",
        "lighthouse", "pingdom", "uptime", "monitor", "archiver", "scrapy", "feedfetcher",
    ];

    private static readonly string[] BrowserMarkers = ["mozilla/", "opera/"];

    public static UserAgentClass Classify(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return UserAgentClass.Other;
        }

        foreach (var marker in BotMarkers)
        {
            if (userAgent.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return UserAgentClass.Bot;
            }
        }

        foreach (var marker in BrowserMarkers)
        {
            if (userAgent.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return UserAgentClass.Browser;
            }
        }

        return UserAgentClass.Other;
    }
}
