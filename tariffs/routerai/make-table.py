#!/usr/bin/env python3
"""Writes the router's rouble table from its public model pages, as recorded in ../shared/routerai.

    python3 tariffs/routerai/make-table.py [../shared/routerai/models.jsonl] > tariffs/src/main/resources/dev/kopeck/tariffs/tables/routerai-rub.json

A developer runs this when the recorded pages change; the build never does. Rules (docs/tariffs.md):
- a page that showed every price row (prices_status "complete") is priced whole; a page that showed only some
  ("partial") is priced for the rows it showed, and each row it did not show is "unlisted" (a usage that needs
  it is refused, naming it): the rows of the first prompt-size tier are the base prices, a later tier
  ("> 32000 токенов в промпте") lists its own, and every kind it does not show is unlisted above its threshold;
  Gemini 2.0 Flash's image and audio rows, not visible on the recorded page, come from the project's first tariff;
- "per 1K tokens" image rows are read as per 1K images (the evidence is in docs/tariffs.md);
- a context window "128K" is 128,000 tokens (the page's figure, never rounded up);
- the tariff is in force from the model's release date on the page.
"""
import json
import sys

src = sys.argv[1] if len(sys.argv) > 1 else '../shared/routerai/models.jsonl'
KINDS = {'Входящие токены': 'input', 'Исходящие токены': 'output', 'Чтение кеша': 'cache_read',
         'Запись кеша': 'cache_write', 'Входящие изображения': 'input_image', 'Входящие аудио': 'input_audio',
         'Входящие изоб': 'input_image'}  # the last: a label the page cut short
MODALITIES = {'Текст': 'text', 'Изображения': 'image', 'Файл': 'document', 'Аудио': 'audio', 'Видео': 'video'}
MONTHS = {'января': 1, 'февраля': 2, 'марта': 3, 'апреля': 4, 'мая': 5, 'июня': 6, 'июля': 7, 'августа': 8,
          'сентября': 9, 'октября': 10, 'ноября': 11, 'декабря': 12}
IMAGE_NOTE = ('The page prices input images "per 1K tokens"; read here as per 1K images: the router\'s rouble prices '
              'are 150 times OpenRouter\'s dollars for this model, and OpenRouter bills images per 1K images '
              '(docs/tariffs.md, "The image-unit question").')


def date(ru):
    d, m, y = ru.split()
    return '%s-%02d-%02d' % (y, MONTHS[m], int(d))


def tokens(window):
    n = float(window[:-1].replace(',', '.'))
    return int(n * (1_000 if window.endswith('K') else 1_000_000))


def rate(row):
    amount = row['amount'].replace(',', '.')
    unit = row['unit']
    if unit == '/ 1M токенов':
        per = '1M'
    elif unit == '/ 1K токенов':
        per = '1K'
    else:
        raise SystemExit('unknown unit %r' % unit)
    return {'price': amount, 'per': per, 'unit': 'image' if KINDS[row['kind']] == 'input_image' else 'token'}


models = []
for line in open(src, encoding='utf-8'):
    page = json.loads(line)
    status = page['prices_status']
    mid = page['model_id']
    gemini = mid == 'google/gemini-2.0-flash-001'
    if not (status.startswith('complete') or status == 'partial') or not page['prices']:
        continue  # a page that showed no price: not priced here
    tiers = []
    unlisted = []
    if page['tiers']:
        if gemini or status.startswith('complete'):
            raise SystemExit('%s: tiers on a complete page: add them to this script' % mid)
        heads = []
        for r in page['prices']:
            if r['tier'] not in heads:
                heads.append(r['tier'])
        first = heads[0]
        if not first.startswith('≤ '):
            raise SystemExit('%s: the first tier is not "≤ N": %r' % (mid, first))
        above = int(first.split()[1])
        base = [r for r in page['prices'] if r['tier'] == first]
        rates = {KINDS[r['kind']]: rate(r) for r in base if r['amount'] != 'not seen'}
        unlisted = [KINDS[r['kind']] for r in base if r['amount'] == 'not seen']
        later = [r for r in page['prices'] if r['tier'] != first]
        if any(not r['tier'].startswith('> %d ' % above) for r in later):
            raise SystemExit('%s: tiers other than "≤ N" and "> N": add them to this script' % mid)
        trates = {KINDS[r['kind']]: rate(r) for r in later if r['amount'] != 'not seen'}
        known = [KINDS[r['kind']] for r in base] + [KINDS[r['kind']] for r in later]
        tunlisted = sorted({k for k in known if k not in trates}, key=known.index)
        tiers.append({'above_input_tokens': above, 'rates': trates, 'unlisted': tunlisted})
    else:
        rates = {KINDS[r['kind']]: rate(r) for r in page['prices'] if r['amount'] != 'not seen'}
        if not gemini:
            unlisted = [KINDS[r['kind']] for r in page['prices'] if r['amount'] == 'not seen']
    m = {'id': mid}
    if gemini:
        # the project's first tariff: the page's image and audio rows (3,91 per 1K, 70 per 1M)
        rates['input_image'] = {'price': '3.91', 'per': '1K', 'unit': 'image'}
        rates['input_audio'] = {'price': '70', 'per': '1M', 'unit': 'token'}
        m.update({'aliases': ['gemini-2.0-flash-001', 'gemini-2.0-flash'], 'input_token_limit': 1048576,
                  'output_token_limit': 8192, 'tokenizer': 'gemma3', 'media_rules': 'gemini-2.0'})
    else:
        m['input_token_limit'] = tokens(page['context_window'])
    m['modalities'] = {'input': [MODALITIES[x] for x in page['input_modalities']],
                       'output': [MODALITIES[x] for x in page['output_modalities']]}
    tariff = {'effective_from': '2025-02-05' if gemini else date(page['release_date']), 'rates': rates}
    if unlisted:
        tariff['unlisted'] = unlisted
    if tiers:
        tariff['tiers'] = tiers
    if 'input_image' in rates:
        tariff['note'] = IMAGE_NOTE
    m['tariffs'] = [tariff]
    models.append(m)

out = {'kopeck_tariff_format': 1, 'provider': 'routerai', 'currency': 'RUB',
       'note': 'The router\'s public model pages (routerai.ru/models/...), in roubles, as recorded in the project\'s '
               'shared facts; prices follow the exchange rate, so this table is dated. Models whose pages showed no '
               'price are not here; a page that showed only some prices is priced for those, the rest "unlisted".',
       'models': models}
json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
print()
