from tests.harness import BotUnderTest, Phone


async def test_invite_language_consent_and_home(bot: BotUnderTest, emulator) -> None:
    pseudonym, code = await bot.invite()
    phone = Phone(emulator, 5001)
    await phone.send(f"/start {code}")
    assert "Välj språk" in phone.last.text
    await phone.tap("Svenska")
    assert "Samtycke" in phone.last.text
    await phone.tap("Jag samtycker")
    assert "112" in phone.last.text
    await phone.tap("nu börjar vi")
    assert "inte öppen än" in phone.last.text
