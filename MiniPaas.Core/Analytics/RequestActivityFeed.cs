using MiniPaas.Core.Events;

namespace MiniPaas.Core.Analytics;

/// <summary>
/// Live request activity by project id: every stored batch publishes what it added to each (project, minute), after the
/// commit, so a page that reads the rollups and then applies these never shows a request that is not stored.
/// </summary>
public sealed class RequestActivityFeed() : EventFeed<long, MinuteRollup>(subscriberCapacity: 2_000, maxBatchSize: 500);
