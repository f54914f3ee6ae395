using LiveHost.Perf.Audit;
using LiveHost.Perf.AvSync;
using LiveHost.Perf.Avatars;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Density;
using LiveHost.Perf.Encoding;
using LiveHost.Perf.Faq;
using LiveHost.Perf.Foundation;
using LiveHost.Perf.Hub;
using LiveHost.Perf.Inference;
using LiveHost.Perf.Llm;
using LiveHost.Perf.Presenter;
using LiveHost.Perf.ProducerConsole;
using LiveHost.Perf.Storage;
using LiveHost.Perf.Voices;
using LiveHost.Perf.WebRtc;

// One sub-command per benchmark; each lives in its own folder and registers here.
var dispatcher = new CommandDispatcher(
[
    new FoundationCommand(),
    new InferenceCommand(),
    new FanoutCommand(),
    new LiveHost.Perf.WebRtc.Janus.FanoutVersusJanusCommand(),
    new GlassToGlassCommand(),
    new VideoEncodeCommand(),
    new SlowClientsCommand(),
    new AuditCostCommand(),
    new ConsoleCueCommand(),
    new FaqAccuracyCommand(),
    new RealisticRenderCommand(),
    new LlmAnswerCommand(),
    new AtlasRenderCommand(),
    new PresenterSwitchCommand(),
    new VoicesCommand(),
    new StoreLatencyCommand(),
    new AvSyncCommand(),
    new SceneRenderCommand(),
    new BgraToI420Command(),
    new EncodeQualityCommand(),
    new RoomsCommand(),
    new TickClockCommand(),
    new LiveHost.Perf.Cluster.FailoverCommand(),
    new LiveHost.Perf.Cluster.ForwardingOverheadCommand(),
]);
return await dispatcher.RunAsync(args);
