global using LiveHost.WebRtc.Tests;
global using Xunit;

// One host and one Chromium at a time: these tests share room main and two busy cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
