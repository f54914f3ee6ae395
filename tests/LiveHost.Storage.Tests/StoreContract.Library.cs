using LiveHost.ControlPlane.Comments.Faq;
using LiveHost.Engine.Moderation;
using LiveHost.Engine.Show;

namespace LiveHost.Storage.Tests;

public abstract partial class StoreContract
{
    [StoreFact]
    public void A_script_is_listed_by_name_read_back_replaced_and_deleted()
    {
        var lines = new List<ScriptLine> { new("Hello there", "en"), new("保温杯 199 元", "zh", "zh", "mug", 1500) };
        Store.Scripts.Save(new Script("s2", "Zebra", lines, T0));
        Store.Scripts.Save(new Script("s1", "Ad", [new ScriptLine("Buy now")], T0.AddMinutes(1)));

        Store.Reopen();
        Assert.Equal([("s1", "Ad", 1), ("s2", "Zebra", 2)], Store.Scripts.List().Select(s => (s.Id, s.Name, s.LineCount)));
        var loaded = Store.Scripts.Get("s2")!;
        Assert.Equal(lines, loaded.Lines);
        Assert.Equal(T0, loaded.UpdatedAt);

        Store.Scripts.Save(new Script("s2", "Zebra 2", [new ScriptLine("Only line")], T0.AddMinutes(2)));
        Assert.Equal("Only line", Assert.Single(Store.Scripts.Get("s2")!.Lines!).Text);
        Assert.True(Store.Scripts.Delete("s2"));
        Assert.False(Store.Scripts.Delete("s2"));
        Assert.Null(Store.Scripts.Get("s2"));
        Assert.Equal(["s1"], Store.Scripts.List().Select(s => s.Id));
    }

    [StoreFact]
    public void A_product_keeps_its_exact_price_bullets_and_image_and_a_replace_keeps_the_image()
    {
        var product = new Product("p1", "保温杯", 199.99m, "CNY", ["12 h hot", "316 steel"], false, T0);
        Store.Products.Save(product);
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 255 };
        Store.Products.SaveImage("p1", png);

        Store.Reopen();
        Assert.Equal(product with { HasImage = true, Bullets = null }, Assert.Single(Store.Products.List()) with { Bullets = null });
        Assert.Equal(["12 h hot", "316 steel"], Store.Products.List()[0].Bullets);
        Assert.Equal(png, Store.Products.LoadImage("p1"));

        Store.Products.Save(product with { Price = 0.01m, Bullets = [] });
        Assert.Equal(0.01m, Store.Products.List()[0].Price);
        Assert.Equal(png, Store.Products.LoadImage("p1"));
        Store.Products.SaveImage("p1", null);
        Assert.Null(Store.Products.LoadImage("p1"));
        Assert.True(Store.Products.Delete("p1"));
        Assert.Empty(Store.Products.List());
    }

    [StoreFact]
    public void A_room_s_script_loop_and_its_position_survive_a_restart_until_it_is_forgotten()
    {
        Store.RoomScripts.SaveRoomScript("main", new StoredRoomScript("s1", ScriptMode.Loop, 3));
        Store.RoomScripts.SaveRoomScript("main", new StoredRoomScript("s1", ScriptMode.Loop, 4));
        Store.RoomScripts.SaveRoomScript("other", new StoredRoomScript("s2", ScriptMode.Once, 0));

        Store.Reopen();
        Assert.Equal(new StoredRoomScript("s1", ScriptMode.Loop, 4), Store.RoomScripts.LoadRoomScript("main"));
        Assert.Equal(new StoredRoomScript("s2", ScriptMode.Once, 0), Store.RoomScripts.LoadRoomScript("other"));

        Store.RoomScripts.SaveRoomScript("main", null);
        Assert.Null(Store.RoomScripts.LoadRoomScript("main"));
    }

    [StoreFact]
    public void A_language_never_saved_reads_as_its_default_terms_and_a_saved_one_exactly_as_saved()
    {
        Assert.Equal(DefaultTerms.All.Select(l => l.Language).Order(), Store.Terms.Load().Select(l => l.Language).Order());

        Store.Terms.Save(new TermList("en", ["cheapest", "best ever", "guaranteed"], ["best before"]));
        Store.Terms.Save(new TermList("zh", [], []));
        Store.Terms.Save(new TermList("en", ["cheapest", "miracle"], ["best before", "first time"]));

        Store.Reopen();
        var lists = Store.Terms.Load().ToDictionary(l => l.Language);
        Assert.Equal(["cheapest", "miracle"], lists["en"].Blocked);
        Assert.Equal(["best before", "first time"], lists["en"].Allowed);
        Assert.Empty(lists["zh"].Blocked);
        Assert.Empty(lists["zh"].Allowed);
        Assert.Equal(DefaultTerms.All.Count, lists.Count);
    }

    [StoreFact]
    public void Faq_entries_are_kept_per_room_replaced_by_id_and_deleted()
    {
        var entry = new FaqEntry("f1", "main", ["How much?", "价格？"], "199 yuan", "en", "mug", T0);
        Store.Faq.Save(entry);
        Store.Faq.Save(entry with { Room = "other", Answer = "other room" });
        Store.Faq.Save(entry with { Answer = "now 149 yuan", Product = null, UpdatedAt = T0.AddMinutes(1) });

        Store.Reopen();
        var entries = Store.Faq.LoadAll();
        Assert.Equal(2, entries.Count);
        var main = Assert.Single(entries, e => e.Room == "main");
        Assert.Equal(["How much?", "价格？"], main.Questions);
        Assert.Equal(("now 149 yuan", (string?)null, T0.AddMinutes(1)), (main.Answer, main.Product, main.UpdatedAt!.Value));

        Assert.True(Store.Faq.Delete("main", "f1"));
        Assert.False(Store.Faq.Delete("main", "f1"));
        Assert.Equal("other", Assert.Single(Store.Faq.LoadAll()).Room);
    }
}
